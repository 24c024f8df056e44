// A correct udp-send in Node: the socket is closed in the callback of the
// last send.
const dgram = require("dgram");
const [host, port] = process.argv.slice(2);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const sock = dgram.createSocket("udp4");
  const lines = [];
  for (const line of input.split("\n")) {
    if (line === "exit") break;
    lines.push(line);
  }
  let left = lines.length;
  if (left === 0) return sock.close();
  for (const line of lines) {
    sock.send(Buffer.from(line, "utf8"), Number(port), host, () => {
      if (--left === 0) sock.close();
    });
  }
});
