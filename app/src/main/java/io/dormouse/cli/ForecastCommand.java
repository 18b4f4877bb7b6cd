package io.dormouse.cli;

import picocli.CommandLine.Command;

/** {@code dormouse forecast}: demand forecasts and their backtests. */
@Command(name = "forecast", mixinStandardHelpOptions = true, description = "Demand forecasts and backtests.",
        subcommands = BacktestCommand.class)
final class ForecastCommand extends GroupCommand {
}
