/**
 * The {@code annals} command line: {@link io.annals.cli.Main} runs {@link io.annals.cli.AnnalsCommand} and its
 * subcommands (serve, post, get, query, import, export, backup, restore). Exit codes: 0 done, 1 failed, 2 usage.
 */
package io.annals.cli;
