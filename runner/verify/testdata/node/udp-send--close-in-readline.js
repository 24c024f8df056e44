// Wrong, as the notes write it: the socket is closed from readline's
// "close" event, while the sends are still queued (dgram's send is
// asynchronous, and looks the host up first). Node then throws
// ERR_SOCKET_DGRAM_NOT_RUNNING for the send that finds the socket closed.
const dgram = require("dgram");
const readline = require("readline");
const [host, port] = process.argv.slice(2);
const sock = dgram.createSocket("udp4");
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  if (line === "exit") {
    rl.close();
    return;
  }
  sock.send(Buffer.from(line, "utf8"), Number(port), host);
});
rl.on("close", () => sock.close());
