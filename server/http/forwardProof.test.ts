import { describe, expect, it } from 'vitest';
import { TEST_SECRET_KEY } from '../sim/testing/postgresServer';
import { ForwardProof } from './forwardProof';

const proof = new ForwardProof(TEST_SECRET_KEY);
const client = { node: 'B', address: '192.0.2.7', secure: true };
const at = Date.UTC(2026, 11, 6, 23, 0, 0);

describe("a console node's proof of the client it forwards for", () => {
  it('names the node, the client and the protocol, and holds for the Host it was made for within 30 s', () => {
    const header = proof.sign(client, 'b.example:3000', at);
    expect(header).toMatch(/^B;192\.0\.2\.7;https;1796598000;[A-Za-z0-9_-]{43}$/);
    expect(proof.verify(header, 'b.example:3000', at + 30_000)).toEqual(client);
    expect(proof.verify(header, 'b.example:3000', at - 30_000)).toEqual(client);
  });

  it('is refused under another Host, too old or from the future, with any field changed, under another key, or malformed', () => {
    const header = proof.sign(client, 'b.example:3000', at);
    expect(proof.verify(header, 'a.example:3000', at)).toBeNull();
    expect(proof.verify(header, 'b.example:3000', at + 31_000)).toBeNull();
    expect(proof.verify(header, 'b.example:3000', at - 31_000)).toBeNull();
    expect(proof.verify(header.replace('192.0.2.7', '192.0.2.8'), 'b.example:3000', at)).toBeNull();
    expect(proof.verify(header.replace(';https;', ';http;'), 'b.example:3000', at)).toBeNull();
    expect(proof.verify(header.replace(/^B;/, 'C;'), 'b.example:3000', at)).toBeNull();
    expect(proof.verify(new ForwardProof(Buffer.alloc(32, 1).toString('base64')).sign(client, 'b.example:3000', at), 'b.example:3000', at)).toBeNull();
    for (const malformed of ['', 'B', `${header};x`, header.replace('192.0.2.7', 'not-an-ip'), `B;192.0.2.7;https;${at / 1000};short`]) {
      expect(proof.verify(malformed, 'b.example:3000', at), malformed).toBeNull();
    }
  });
});
