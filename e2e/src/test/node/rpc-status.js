'use strict';
// Reads the google.rpc.Status a server sends in the grpc-status-details-bin
// trailer: its ErrorInfo, BadRequest and RetryInfo details.
const protobuf = require('protobufjs');

const root = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
            Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            ErrorInfo: {
              fields: {
                reason: { type: 'string', id: 1 },
                domain: { type: 'string', id: 2 },
                metadata: { keyType: 'string', type: 'string', id: 3 },
              },
            },
            RetryInfo: { fields: { retry_delay: { type: 'google.protobuf.Duration', id: 1 } } },
            BadRequest: {
              fields: { field_violations: { rule: 'repeated', type: 'FieldViolation', id: 1 } },
              nested: {
                FieldViolation: {
                  fields: { field: { type: 'string', id: 1 }, description: { type: 'string', id: 2 } },
                },
              },
            },
          },
        },
      },
    },
  },
});

const Status = root.lookupType('google.rpc.Status');
const KNOWN = ['ErrorInfo', 'RetryInfo', 'BadRequest'];

/**
 * The details of a failed call's error (from @grpc/grpc-js), by type name:
 * { ErrorInfo: {...}, BadRequest: {...}, RetryInfo: {...}, order: ['ErrorInfo', ...] }.
 */
function statusDetails(error) {
  const raw = error.metadata && error.metadata.get('grpc-status-details-bin');
  if (!raw || raw.length !== 1) {
    throw new Error(`expected one grpc-status-details-bin trailer, got ${raw ? raw.length : 'none'} (${error.message})`);
  }
  const status = Status.decode(raw[0]);
  if (status.code !== error.code) {
    throw new Error(`google.rpc.Status code ${status.code} differs from the call's ${error.code}`);
  }
  const out = { order: [] };
  for (const any of status.details) {
    const name = any.type_url.substring(any.type_url.lastIndexOf('.') + 1);
    out.order.push(name);
    if (KNOWN.includes(name)) {
      out[name] = root.lookupType('google.rpc.' + name).toObject(root.lookupType('google.rpc.' + name).decode(any.value),
        { longs: Number, defaults: true });
    }
  }
  return out;
}

module.exports = { statusDetails };
