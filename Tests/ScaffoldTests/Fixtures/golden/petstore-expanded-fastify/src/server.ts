// Created once by senior-backend scaffold and never overwritten: this file is yours.
import { createApp } from "./app";

// Read through globalThis so that the project compiles without @types/node.
const host = globalThis as unknown as {
  process: { env: Record<string, string | undefined>; exitCode?: number };
  console: { log(message: string): void };
};
const port = Number(host.process.env.PORT ?? "3000");
const address = host.process.env.HOST ?? "127.0.0.1";

createApp()
  .listen({ port, host: address })
  .then(
    () => host.console.log(`listening on http://${address}:${port}`),
    (error: unknown) => {
      host.console.log(`cannot listen on ${address}:${port}: ${String(error)}`);
      host.process.exitCode = 1;
    },
  );
