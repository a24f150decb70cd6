import { ConfigError } from '../config/config';
import { StoreUnavailableError } from '../db/store-connection';
import { logger } from '../observability/logger';

/**
 * Runs a process's main function: on SIGTERM or SIGINT it says what it is doing, runs `stop`
 * once and exits cleanly; a failure to start exits with code 1, a configuration error or an
 * unreachable store in one line. A promise rejected with nobody listening is logged and the
 * process goes on: a library's background write failing while the database restarts must not
 * take every request and job of the process down with it.
 */
export function runProcess(main: () => Promise<{ stopping: string; stop: () => Promise<void> }>): void {
  process.on('unhandledRejection', (reason: unknown) => logger.error({ err: reason }, 'unhandled promise rejection; the process goes on'));
  main()
    .then(({ stopping, stop }) => {
      let stopped = false;
      const onSignal = (signal: string) => {
        if (stopped) return;
        stopped = true;
        logger.info({ signal }, `${signal}: ${stopping}`);
        stop().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'stopping failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      process.on('SIGINT', () => onSignal('SIGINT'));
    })
    .catch((error: unknown) => {
      if (error instanceof ConfigError) logger.fatal(`Configuration error: ${error.message}`);
      else if (error instanceof StoreUnavailableError) logger.fatal(error.message);
      else logger.fatal({ err: error }, 'start-up failed');
      process.exit(1);
    });
}
