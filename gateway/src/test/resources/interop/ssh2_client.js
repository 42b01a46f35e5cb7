// Drives Callgate with node's ssh2 (npm, installed by .ci/run into .ci/node): HOST PORT USER KEY OP...
// where OP is ls:PATH, put:LOCAL:REMOTE, mv:FROM:TO or get:REMOTE:LOCAL. Prints the negotiated
// algorithms to stderr.
'use strict';
const fs = require('fs');
const { promisify } = require('util');
const { Client } = require('ssh2');

const [host, port, username, key, ...ops] = process.argv.slice(2);
const conn = new Client();
conn.on('handshake', (n) => console.error('negotiated: ' + JSON.stringify(n)));
conn.on('error', (e) => { console.error('ssh2 error: ' + e.message); process.exit(2); });
conn.on('ready', () => conn.sftp(async (err, sftp) => {
  if (err) { console.error('sftp: ' + err.message); process.exit(2); }
  try {
    for (const op of ops) {
      const [verb, a, b] = op.split(':');
      if (verb === 'ls') {
        const list = await promisify(sftp.readdir.bind(sftp))(a);
        console.log(list.map((e) => e.filename).sort().join('\n'));
      } else if (verb === 'put') {
        await promisify(sftp.fastPut.bind(sftp))(a, b);
      } else if (verb === 'mv') {
        await promisify(sftp.rename.bind(sftp))(a, b);
      } else if (verb === 'get') {
        await promisify(sftp.fastGet.bind(sftp))(a, b);
      } else {
        throw new Error('unknown op ' + op);
      }
    }
    conn.end();
  } catch (e) {
    console.error('failed: ' + e.message);
    process.exit(1);
  }
}));
conn.connect({ host, port: Number(port), username, privateKey: fs.readFileSync(key), hostVerifier: () => true,
  readyTimeout: 20000 });
