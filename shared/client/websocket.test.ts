import { describe, expect, expectTypeOf, it } from 'vitest';
import type NodeWebSocket from 'ws';
import { webSocketUrl, type WebSocketFactory } from './websocket.js';

describe('websocket', () => {
  it("accepts both the ws package's WebSocket and the browser's, as they are", () => {
    expectTypeOf<typeof NodeWebSocket>().toMatchTypeOf<WebSocketFactory>();
    expectTypeOf<typeof globalThis.WebSocket>().toMatchTypeOf<WebSocketFactory>();
  });

  it('derives the relay URL from the server URL', () => {
    expect(webSocketUrl('http://127.0.0.1:3000')).toBe('ws://127.0.0.1:3000/api/ws');
    expect(webSocketUrl('https://envelope.example/')).toBe('wss://envelope.example/api/ws');
    expect(webSocketUrl('http://[::1]:8080/some/page?x=1')).toBe('ws://[::1]:8080/api/ws');
  });
});
