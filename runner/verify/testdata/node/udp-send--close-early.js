// Wrong: closes the socket right after the sends, which are asynchronous
// in Node: close() cancels the datagrams still queued.
const dgram = require("dgram");
const [host, port] = process.argv.slice(2);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const sock = dgram.createSocket("udp4");
  for (const line of input.split("\n")) {
    if (line === "exit") break;
    sock.send(Buffer.from(line, "utf8"), Number(port), host);
  }
  sock.close();
});
