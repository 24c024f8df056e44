// Wrong: writes the length little-endian (writeUInt32LE).
const net = require("net");
const [host, port] = process.argv.slice(2);
const chunks = [];
process.stdin.on("data", (d) => chunks.push(d));
process.stdin.on("end", () => {
  const data = Buffer.concat(chunks);
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(data.length);
  const client = net.connect(Number(port), host, () => client.end(Buffer.concat([prefix, data])));
  const reply = [];
  client.on("data", (d) => reply.push(d));
  client.on("end", () => process.stdout.write(Buffer.concat(reply).toString("utf8")));
});
