/** A small typed event emitter (no Node `events`: this runs in the browser too). */
export type Listener<T> = (payload: T) => void;
export declare class Emitter<Events extends {
    [K in keyof Events]: unknown;
}> {
    #private;
    /** Returns a function that removes the listener. */
    on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void;
    emit<K extends keyof Events>(event: K, payload: Events[K]): void;
}
