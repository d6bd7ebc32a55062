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

type Writer = ReturnType<typeof RunFunctionResponse.encode>;

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

function writeResource(resource: Resource, w: Writer): void {
  if (resource.resource !== undefined) w.raw(resourceField(resource.resource));
  Resource.encode({ ...resource, resource: undefined }, w);
}

function writeState(state: State, w: Writer): void {
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
  const w = RunFunctionResponse.encode({ ...rsp, desired: undefined });
  if (rsp.desired !== undefined) {
    writeState(rsp.desired, w.uint32(RESPONSE_DESIRED).fork());
    w.join();
  }
  const bytes = w.finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength); // a view, not a copy
}
