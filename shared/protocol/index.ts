/** The wire protocol: one schema module for every HTTP body and WebSocket frame. */
export * from './auth.js';
export * from './codec.js';
export * from './errors.js';
export * from './escrow.js';
export * from './frame-json.js';
export * from './http.js';
export * from './ids.js';
export * from './join.js';
export * from './limits.js';
export * from './operator.js';
export * from './policy.js';
export * from './reports.js';
export * from './sealed.js';
export * from './signals.js';
export * from './transport.js';
export * from './warrant.js';
export * from './ws.js';
