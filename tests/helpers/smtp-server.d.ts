/** The part of smtp-server's API the tests use (the package ships no types). */
declare module 'smtp-server' {
  import type { Readable } from 'node:stream';
  export interface SMTPServerOptions {
    authOptional?: boolean;
    allowInsecureAuth?: boolean;
    disabledCommands?: string[];
    logger?: boolean;
    onAuth?(
      auth: { username?: string; password?: string },
      session: unknown,
      callback: (err: Error | null, response?: { user: string }) => void,
    ): void;
    onData?(stream: Readable, session: unknown, callback: (err?: Error | null) => void): void;
  }
  export class SMTPServer {
    constructor(options: SMTPServerOptions);
    listen(port: number, host: string, callback: () => void): void;
    close(callback: () => void): void;
    server: { address(): { port: number } };
  }
}
