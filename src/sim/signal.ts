export type Listener<T> = (payload: T) => void;

/**
 * A typed signal: models emit, observers (outputs, metrics, invariant checks) subscribe. Listeners
 * run in subscription order; the list is copied on change so a listener may unsubscribe while the
 * signal is being emitted.
 */
export class Signal<T> {
  private listeners: readonly Listener<T>[] = [];

  constructor(readonly name: string) {}

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: Listener<T>): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** True when somebody listens: lets a model skip building a payload nobody reads. */
  get observed(): boolean {
    return this.listeners.length > 0;
  }

  emit(payload: T): void {
    for (const listener of this.listeners) listener(payload);
  }
}
