'use strict';
// gRPC server reflection as a generic tool does it: the reflection service's
// messages are declared here (they are the same on the wire in
// grpc.reflection.v1 and grpc.reflection.v1alpha), the server's own services
// are loaded from the file descriptors it sends back.
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const LOADER = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true };

function reflectionMessages() {
  const str = (id) => ({ type: 'string', id });
  return {
    ServerReflectionRequest: {
      oneofs: {
        message_request: {
          oneof: ['file_by_filename', 'file_containing_symbol', 'file_containing_extension',
            'all_extension_numbers_of_type', 'list_services'],
        },
      },
      fields: {
        host: str(1),
        file_by_filename: str(3),
        file_containing_symbol: str(4),
        file_containing_extension: { type: 'ExtensionRequest', id: 5 },
        all_extension_numbers_of_type: str(6),
        list_services: str(7),
      },
    },
    ExtensionRequest: { fields: { containing_type: str(1), extension_number: { type: 'int32', id: 2 } } },
    ServerReflectionResponse: {
      oneofs: {
        message_response: {
          oneof: ['file_descriptor_response', 'all_extension_numbers_response', 'list_services_response',
            'error_response'],
        },
      },
      fields: {
        valid_host: str(1),
        original_request: { type: 'ServerReflectionRequest', id: 2 },
        file_descriptor_response: { type: 'FileDescriptorResponse', id: 4 },
        all_extension_numbers_response: { type: 'ExtensionNumberResponse', id: 5 },
        list_services_response: { type: 'ListServiceResponse', id: 6 },
        error_response: { type: 'ErrorResponse', id: 7 },
      },
    },
    FileDescriptorResponse: { fields: { file_descriptor_proto: { rule: 'repeated', type: 'bytes', id: 1 } } },
    ExtensionNumberResponse: {
      fields: { base_type_name: str(1), extension_number: { rule: 'repeated', type: 'int32', id: 2 } },
    },
    ListServiceResponse: { fields: { service: { rule: 'repeated', type: 'ServiceResponse', id: 1 } } },
    ServiceResponse: { fields: { name: str(1) } },
    ErrorResponse: { fields: { error_code: { type: 'int32', id: 1 }, error_message: str(2) } },
    ServerReflection: {
      methods: {
        ServerReflectionInfo: {
          requestType: 'ServerReflectionRequest', requestStream: true,
          responseType: 'ServerReflectionResponse', responseStream: true,
        },
      },
    },
  };
}

const reflection = grpc.loadPackageDefinition(protoLoader.fromJSON({
  nested: {
    grpc: {
      nested: {
        reflection: {
          nested: { v1: { nested: reflectionMessages() }, v1alpha: { nested: reflectionMessages() } },
        },
      },
    },
  },
}, LOADER)).grpc.reflection;

/**
 * One reflection stream of `version` ('v1' or 'v1alpha'); ask() sends a request
 * on it and resolves with its answer, one request after the other.
 */
function openReflection(address, version) {
  const client = new reflection[version].ServerReflection(address, grpc.credentials.createInsecure());
  const call = client.ServerReflectionInfo({ deadline: Date.now() + 60_000 });
  const waiting = [];
  call.on('data', (answer) => waiting.shift().resolve(answer));
  call.on('error', (e) => waiting.splice(0).forEach((w) => w.reject(e)));
  return {
    ask(request) {
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        call.write(request);
      });
    },
    close() {
      call.end();
      client.close();
    },
  };
}

/** A FileDescriptorSet (field 1, repeated FileDescriptorProto) of the files the server sent. */
function descriptorSet(files) {
  const parts = [];
  for (const file of files) {
    const length = [];
    let n = file.length;
    do {
      length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    parts.push(Buffer.from([0x0a, ...length]), file);
  }
  return Buffer.concat(parts);
}

/** The gRPC package of the services described by the files, as @grpc/grpc-js loads it. */
function loadServices(files) {
  return grpc.loadPackageDefinition(protoLoader.loadFileDescriptorSetFromBuffer(descriptorSet(files), LOADER));
}

module.exports = { openReflection, loadServices };
