// A correct tcp-client in Node: end() half-closes after the write, and the
// reply is printed once the server has closed ('end').
const net = require("net");
const [host, port] = process.argv.slice(2);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const line = input.split("\n")[0];
  const client = net.connect(Number(port), host, () => client.end(line));
  const chunks = [];
  client.on("data", (d) => chunks.push(d));
  client.on("end", () => console.log(Buffer.concat(chunks).toString("utf8")));
});
