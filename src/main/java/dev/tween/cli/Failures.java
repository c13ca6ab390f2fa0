package dev.tween.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How a command that fails ends: one line {@code tween: …} on stderr naming the cause, exit code 2
 * for a usage error and 1 for anything else; the stack trace too only with {@code --debug}.
 */
final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final String DEBUG = "--debug";

  /** Installs both handlers on {@code root}; its subcommands inherit them. */
  static CommandLine install(CommandLine root) {
    var f = new Failures();
    return root.setExecutionExceptionHandler(f).setParameterExceptionHandler(f);
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String message = lowerFirst(ex.getMessage());
    if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty())
      message += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
    return report(
        cmd.getErr(),
        message + " (see ./" + cmd.getCommandSpec().qualifiedName() + " --help)",
        ex,
        List.of(args).contains(DEBUG),
        CliException.USAGE);
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    boolean debug = parsed.originalArgs().contains(DEBUG);
    int code = ex instanceof CliException c ? c.exitCode() : CliException.FAILED;
    return report(cmd.getErr(), message(ex), ex, debug, code);
  }

  private static int report(PrintWriter err, String line, Exception ex, boolean debug, int code) {
    err.println("tween: " + line);
    if (debug) ex.printStackTrace(err);
    err.flush();
    return code;
  }

  /** The cause in words a person can act on. */
  static String message(Throwable e) {
    return switch (e) {
      case CliException c -> c.getMessage();
      case NoSuchFileException f -> f.getFile() + ": no such file";
      case AccessDeniedException f -> f.getFile() + ": permission denied";
      case FileSystemException f ->
          f.getFile() + ": " + (f.getReason() == null ? "cannot be read" : f.getReason());
      case InterruptedException i -> "interrupted";
      case java.io.IOException io when io.getMessage() != null -> io.getMessage();
      default -> e + " (--debug prints the stack trace)";
    };
  }

  private static String lowerFirst(String s) {
    if (s == null || s.isEmpty()) return "bad command line";
    String first = s.substring(0, 1);
    // Keep an option or a name as written ('--last', 'TASK_ID'); lower a plain word ("Missing").
    return Character.isUpperCase(s.charAt(0))
            && s.length() > 1
            && Character.isLowerCase(s.charAt(1))
        ? first.toLowerCase(Locale.ROOT) + s.substring(1)
        : s;
  }
}
