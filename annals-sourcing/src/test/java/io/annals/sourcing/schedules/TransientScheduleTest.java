package io.annals.sourcing.schedules;

import io.annals.sourcing.api.Processing;
import io.annals.sourcing.api.Schedule;

/** The schedule contract on the in-memory bus. */
class TransientScheduleTest extends ScheduleContract {

    @Override
    protected Processing.Builder schedule(Processing.Builder builder) {
        return builder.schedule(Schedule.TRANSIENT);
    }

    @Override
    protected boolean keepsEvents() {
        return false;
    }
}
