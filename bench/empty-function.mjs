// An empty composition function on the same SDK, as the baseline for function-latency.mjs:
//   node bench/empty-function.mjs PORT
import { FunctionRunner, getServer, to } from '@crossplane-org/function-sdk-typescript';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';

const logger = pino({ level: 'silent' });
const server = getServer(
  new FunctionRunner({ RunFunction: (req) => Promise.resolve(to(req)) }, logger),
  logger,
);
server.bindAsync(
  `127.0.0.1:${process.argv[2]}`,
  grpc.ServerCredentials.createInsecure(),
  (error) => {
    if (error) {
      console.error(error.message);
      process.exit(1);
    }
    console.log('function listening');
  },
);
process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
