/** The warrant answer's schema, defined once in shared/protocol (the server's side of the contract). */
export * from '@envelope/protocol';
