package org.metaopt.ops.cli;

import java.io.PrintWriter;
import org.metaopt.core.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level {@code metaopt} command and the exit-code policy shared by every subcommand: 0 success, 1 a
 * failure of the run itself, 2 a usage or input error (bad option, bad spec, missing data), reported as one line.
 */
@Command(
    name = "metaopt",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Learning to optimize, continuously: train optimizees, tune baselines, meta-train learned optimizers.",
    subcommands = {OptimizeCommand.class, TrainCommand.class, EvaluateCommand.class, ExperimentCommand.class,
        DemoCommand.class, BrokerCommand.class, ProducerCommand.class, LearnerCommand.class, EvaluatorCommand.class,
        ReplayCommand.class, ExportCommand.class, ImportCommand.class, DeployCommand.class,
        RunsCommand.class, Dl4jExampleCommand.class, BenchCommand.class, BenchPipelineCommand.class,
        ReportCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 success, 1 run failed, 2 bad input (option, spec, data).",
        "Run 'metaopt COMMAND --help' for a command's options and examples."})
public final class MetaoptCommand implements Runnable {
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and returns the exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output streams (tests capture them) and returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new MetaoptCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(MetaoptCommand::onException);
    cl.setParameterExceptionHandler(MetaoptCommand::onBadParameter);
    return cl.execute(args);
  }

  private static int onException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (e instanceof UserError) {
      err.println("metaopt: " + e.getMessage());
      err.flush();
      return EXIT_USAGE;
    }
    err.println("metaopt: internal error: " + e);
    e.printStackTrace(err);
    err.flush();
    return EXIT_FAILURE;
  }

  private static int onBadParameter(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("metaopt: " + e.getMessage() + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return EXIT_USAGE;
  }
}
