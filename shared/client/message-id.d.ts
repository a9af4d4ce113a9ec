import type { MessageId } from '@envelope/protocol';
export declare const MESSAGE_ID_BYTES = 16;
export declare function newMessageId(): MessageId;
