package dev.tween.cli;

/**
 * A client command's failure, said in one line: the cause and, where it helps, what to change.
 * {@link #exitCode} is 2 for a usage error (the command line alone is wrong), 1 for anything else.
 */
final class CliException extends RuntimeException {
  static final int USAGE = 2;
  static final int FAILED = 1;

  private final int exitCode;

  private CliException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  static CliException usage(String message) {
    return new CliException(message, USAGE, null);
  }

  static CliException failed(String message) {
    return new CliException(message, FAILED, null);
  }

  static CliException failed(String message, Throwable cause) {
    return new CliException(message, FAILED, cause);
  }

  int exitCode() {
    return exitCode;
  }
}
