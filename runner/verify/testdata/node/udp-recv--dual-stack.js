// A correct udp-recv on a dual-stack socket bound to "::": Node reports the
// IPv4 sender in its IPv4-mapped form, ::ffff:127.0.0.1, and prints it so.
const dgram = require("dgram");
const [, port] = process.argv.slice(2);
const sock = dgram.createSocket({ type: "udp6", ipv6Only: false });
sock.on("message", (msg, rinfo) => {
  console.log(`${rinfo.address}:${rinfo.port} ${msg.toString("utf8")}`);
  sock.close();
});
sock.bind(Number(port), "::");
