import { ConfigError } from '../config/config';

/**
 * Runs a process's main function: on SIGTERM or SIGINT it says what it is doing, runs `stop`
 * once and exits cleanly; a failure to start exits with code 1 (a configuration error in one line).
 */
export function runProcess(main: () => Promise<{ stopping: string; stop: () => Promise<void> }>): void {
  main()
    .then(({ stopping, stop }) => {
      let stopped = false;
      const onSignal = (signal: string) => {
        if (stopped) return;
        stopped = true;
        console.log(`\n${signal}: ${stopping}`);
        stop().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(error);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      process.on('SIGINT', () => onSignal('SIGINT'));
    })
    .catch((error: unknown) => {
      console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
      process.exit(1);
    });
}
