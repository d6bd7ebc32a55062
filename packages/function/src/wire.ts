/**
 * The response serializer. Encoding a Kubernetes object as a `google.protobuf.Struct` is the
 * most expensive step of a call (a rendered Deployment is most of a 6 KB response), and the
 * composed objects are the same, frozen objects for every reconcile of an unchanged spec
 * (see `compose` in run.ts). So each frozen object's Struct bytes are encoded once and kept
 * while the object lives; everything else is encoded by the SDK's generated code.
 *
 * The wire format is the generated code's: a `Resource` is written as its `resource` field
 * (cached: the bytes the SDK writes for a `Resource` holding only that object) followed by the
 * SDK encoding the remaining fields. Field order does not matter to protobuf decoders, and
 * every field is written once.
 */
import {
  Ready,
  Resource,
  RunFunctionResponse,
  type State,
} from '@crossplane-org/function-sdk-typescript';
import { BinaryWriter } from '@bufbuild/protobuf/wire';

/**
 * One writer for every response. A new writer starts at 128 bytes and doubles its buffer up to
 * the answer's size on every call; this one grows once. Encoding is synchronous, so calls never
 * share it; it is replaced after an unusually large answer so that its buffer is not kept.
 */
let writer = new BinaryWriter();
const KEEP_BYTES = 256 * 1024;

// Field tags (field number << 3 | wire type 2, length-delimited), from run_function.proto.
const RESPONSE_DESIRED = 18; // RunFunctionResponse.desired = 2
const STATE_COMPOSITE = 10; // State.composite = 1
const STATE_RESOURCES = 18; // State.resources = 2 (map<string, Resource>)
const ENTRY_KEY = 10; // map entry key = 1
const ENTRY_VALUE = 18; // map entry value = 2

/** The encoded `resource` field (tag, length, Struct) of each frozen object seen. */
const encoded = new WeakMap<object, Uint8Array>();

function resourceField(object: Record<string, unknown>): Uint8Array {
  const cached = encoded.get(object);
  if (cached !== undefined) return cached;
  const bytes = Resource.encode({
    resource: object,
    connectionDetails: {},
    ready: Ready.READY_UNSPECIFIED,
  }).finish();
  // Only a frozen object is known not to change between two calls.
  if (Object.isFrozen(object)) encoded.set(object, bytes);
  return bytes;
}

/**
 * How many bytes `object` takes in an answer. For a frozen object this is the encoding the
 * serializer then reuses, so weighing a composed object costs nothing extra.
 */
export function encodedBytes(object: Record<string, unknown>): number {
  return resourceField(object).byteLength;
}

function writeResource(resource: Resource, w: BinaryWriter): void {
  if (resource.resource !== undefined) w.raw(resourceField(resource.resource));
  Resource.encode({ ...resource, resource: undefined }, w);
}

function writeState(state: State, w: BinaryWriter): void {
  if (state.composite !== undefined) {
    writeResource(state.composite, w.uint32(STATE_COMPOSITE).fork());
    w.join();
  }
  for (const [key, value] of Object.entries(state.resources)) {
    w.uint32(STATE_RESOURCES).fork().uint32(ENTRY_KEY).string(key);
    writeResource(value, w.uint32(ENTRY_VALUE).fork());
    w.join().join();
  }
}

/** `RunFunctionResponse` bytes, identical in meaning to the generated `encode`. */
export function encodeResponse(rsp: RunFunctionResponse): Buffer {
  const w = writer;
  let bytes: Uint8Array;
  try {
    RunFunctionResponse.encode({ ...rsp, desired: undefined }, w);
    if (rsp.desired !== undefined) {
      writeState(rsp.desired, w.uint32(RESPONSE_DESIRED).fork());
      w.join();
    }
  } finally {
    bytes = w.finish(); // a copy of what was written; also resets the writer after a failure
  }
  if (bytes.byteLength > KEEP_BYTES) writer = new BinaryWriter();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength); // a view, not a copy
}
