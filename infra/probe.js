#!/usr/bin/env node
// Health probes for infra.sh, with no npm dependency (they run before `npm install` may have run).
//
//   node infra/probe.js kafka    HOST:PORT   Metadata v1 request: ok once a broker is registered and a controller is known
//   node infra/probe.js registry URL        GET URL/subjects answers 200 with a JSON array
//   node infra/probe.js mongo    HOST:PORT   {ping: 1} over OP_MSG answers ok: 1
//   node infra/probe.js registry-backward URL   PUT URL/config {"compatibility":"BACKWARD"} (Confluent's default)
//
// Exit code 0 when healthy; otherwise 1 and one line on stderr saying why.
'use strict';
/* global Buffer, setTimeout, clearTimeout */
/* eslint-disable @typescript-eslint/no-require-imports -- plain Node script, run before npm install */

const net = require('node:net');
const http = require('node:http');

const TIMEOUT_MS = Number(process.env.PROBE_TIMEOUT_MS || 3000);

function hostPort(arg) {
  const i = arg.lastIndexOf(':');
  return { host: arg.slice(0, i), port: Number(arg.slice(i + 1)) };
}

// Sends one length-prefixed request and resolves with the first full reply.
// `frameLength(buf)` returns the total reply length once enough bytes are known, else -1.
function roundTrip(target, request, frameLength) {
  return new Promise((resolve, reject) => {
    const { host, port } = hostPort(target);
    const socket = net.connect({ host, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply from ${target} within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const len = frameLength(buf);
      if (len >= 0 && buf.length >= len) {
        clearTimeout(timer);
        socket.end();
        resolve(buf.subarray(0, len));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${target}: ${err.code || err.message}`));
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`${target} closed the connection before replying`));
    });
  });
}

async function kafka(target) {
  const clientId = Buffer.from('infra-probe');
  // Metadata v1: api_key 3, api_version 1, correlation_id 1, client_id, topics = [] (no topics, brokers only)
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4);
  let o = 0;
  o = body.writeInt16BE(3, o);
  o = body.writeInt16BE(1, o);
  o = body.writeInt32BE(1, o);
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  body.writeInt32BE(0, o);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  const reply = await roundTrip(target, Buffer.concat([size, body]), (b) =>
    b.length >= 4 ? 4 + b.readInt32BE(0) : -1,
  );
  // size, correlation_id, brokers[ node_id, host, port, rack ], controller_id, topics[]
  let p = 8;
  const brokers = reply.readInt32BE(p);
  p += 4;
  for (let i = 0; i < brokers; i++) {
    p += 4;
    p += 2 + reply.readInt16BE(p);
    p += 4;
    const rack = reply.readInt16BE(p);
    p += 2 + Math.max(rack, 0);
  }
  const controller = reply.readInt32BE(p);
  if (brokers < 1) throw new Error(`${target}: metadata lists no broker yet`);
  if (controller < 0) throw new Error(`${target}: metadata knows no controller yet`);
  return `${brokers} broker(s), controller ${controller}`;
}

function registry(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url.replace(/\/$/, '')}/subjects`, { timeout: TIMEOUT_MS }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        if (res.statusCode !== 200)
          return reject(new Error(`GET ${url}/subjects answered ${res.statusCode}: ${text.slice(0, 200)}`));
        try {
          const subjects = JSON.parse(text);
          if (!Array.isArray(subjects)) throw new Error('not an array');
          resolve(`${subjects.length} subject(s)`);
        } catch {
          reject(new Error(`GET ${url}/subjects did not return a JSON array: ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no reply within ${TIMEOUT_MS} ms`)));
    req.on('error', (err) => reject(new Error(`GET ${url}/subjects: ${err.code || err.message}`)));
  });
}

function registryBackward(url) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ compatibility: 'BACKWARD' });
    const req = http.request(
      `${url.replace(/\/$/, '')}/config`,
      {
        method: 'PUT',
        timeout: TIMEOUT_MS,
        headers: {
          'Content-Type': 'application/vnd.schemaregistry.v1+json',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(text.trim())
            : reject(new Error(`PUT ${url}/config answered ${res.statusCode}: ${text.slice(0, 200)}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no reply within ${TIMEOUT_MS} ms`)));
    req.on('error', (err) => reject(new Error(`PUT ${url}/config: ${err.code || err.message}`)));
    req.end(body);
  });
}

// Minimal BSON for {ping: 1, $db: "admin"} and for reading a top-level `ok` field.
function bsonPing() {
  const parts = [];
  const cstr = (s) => Buffer.concat([Buffer.from(s), Buffer.from([0])]);
  const i32 = (n) => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    return b;
  };
  parts.push(Buffer.from([0x10]), cstr('ping'), i32(1));
  const db = Buffer.from('admin');
  parts.push(Buffer.from([0x02]), cstr('$db'), i32(db.length + 1), db, Buffer.from([0]));
  const elements = Buffer.concat(parts);
  return Buffer.concat([i32(4 + elements.length + 1), elements, Buffer.from([0])]);
}

function bsonOk(doc) {
  let p = 4;
  while (p < doc.length - 1) {
    const type = doc[p++];
    const end = doc.indexOf(0, p);
    const name = doc.toString('utf8', p, end);
    p = end + 1;
    if (name === 'ok') {
      if (type === 0x01) return doc.readDoubleLE(p);
      if (type === 0x10) return doc.readInt32LE(p);
      if (type === 0x12) return Number(doc.readBigInt64LE(p));
      if (type === 0x08) return doc[p];
      return NaN;
    }
    switch (type) {
      case 0x01:
      case 0x09:
      case 0x11:
      case 0x12:
        p += 8;
        break;
      case 0x02:
      case 0x0d:
      case 0x0e:
        p += 4 + doc.readInt32LE(p);
        break;
      case 0x03:
      case 0x04:
        p += doc.readInt32LE(p);
        break;
      case 0x05:
        p += 5 + doc.readInt32LE(p);
        break;
      case 0x07:
        p += 12;
        break;
      case 0x08:
        p += 1;
        break;
      case 0x0a:
      case 0x06:
      case 0xff:
      case 0x7f:
        break;
      case 0x10:
        p += 4;
        break;
      case 0x13:
        p += 16;
        break;
      default:
        return NaN; // a type we do not walk; `ok` comes first in practice
    }
  }
  return NaN;
}

async function mongo(target) {
  const doc = bsonPing();
  const header = Buffer.alloc(16 + 4 + 1);
  header.writeInt32LE(header.length + doc.length, 0);
  header.writeInt32LE(1, 4); // requestID
  header.writeInt32LE(0, 8); // responseTo
  header.writeInt32LE(2013, 12); // OP_MSG
  header.writeUInt32LE(0, 16); // flagBits
  header[20] = 0; // section kind 0: body
  const reply = await roundTrip(target, Buffer.concat([header, doc]), (b) =>
    b.length >= 4 ? b.readInt32LE(0) : -1,
  );
  if (reply.readInt32LE(12) !== 2013)
    throw new Error(`${target}: reply opCode ${reply.readInt32LE(12)} is not OP_MSG`);
  const ok = bsonOk(reply.subarray(21));
  if (ok !== 1) throw new Error(`${target}: ping answered ok=${ok}`);
  return 'ping ok';
}

const probes = { kafka, registry, mongo, 'registry-backward': registryBackward };

async function main() {
  const [kind, target] = process.argv.slice(2);
  if (!probes[kind] || !target) {
    process.stderr.write('usage: probe.js kafka|registry|mongo|registry-backward TARGET\n');
    process.exit(2);
  }
  try {
    const what = await probes[kind](target);
    process.stdout.write(`${what}\n`);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

main();
