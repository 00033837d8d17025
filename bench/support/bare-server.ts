// The baseline for bench:server: a bare Node HTTP server answering a fixed document (bench:server
// passes Gatehouse's own ListUsers answer in BENCH_DOCUMENT) with the headers Gatehouse sends.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from(process.env.BENCH_DOCUMENT ?? '<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><IsTruncated>false</IsTruncated><Users/></ListUsersResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></ListUsersResponse>', 'utf8');
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': body.length, 'x-amzn-requestid': '00000000-0000-0000-0000-000000000000' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + '\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
