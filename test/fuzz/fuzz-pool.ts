import { Worker } from "node:worker_threads";

/** What loading one mutant did. */
export type Outcome =
  | { readonly outcome: "accepted" }
  | { readonly outcome: "rejected"; readonly text: string }
  | { readonly outcome: "crashed"; readonly text: string }
  | { readonly outcome: "hung"; readonly text: string };

/**
 * Loads scenario files in a worker thread with a heap limit and a time limit: a mutant that
 * throws anything but a ScenarioError, kills the thread (out of memory) or does not return in
 * time is reported as such, and the next one gets a fresh thread.
 */
export class LoadPool {
  private worker: Worker | undefined;

  constructor(private readonly limits: { readonly heapMb: number; readonly timeoutMs: number }) {}

  async load(file: string): Promise<Outcome> {
    const worker = (this.worker ??= new Worker(new URL("./load-worker.mjs", import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb },
      stdout: true,
      stderr: true,
    }));
    return new Promise<Outcome>((resolve) => {
      const done = (outcome: Outcome, restart: boolean): void => {
        clearTimeout(timer);
        worker.removeAllListeners("message");
        worker.removeAllListeners("error");
        worker.removeAllListeners("exit");
        if (restart) {
          this.worker = undefined;
          void worker.terminate();
        }
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        done({ outcome: "hung", text: `no answer within ${this.limits.timeoutMs} ms` }, true);
      }, this.limits.timeoutMs);
      worker.once("message", (outcome: Outcome) => {
        done(outcome, false);
      });
      worker.once("error", (error: Error) => {
        done({ outcome: "crashed", text: `${error.name}: ${error.message}` }, true);
      });
      worker.once("exit", (code) => {
        done({ outcome: "crashed", text: `the thread exited with code ${code}` }, true);
      });
      worker.postMessage(file);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
