# A correct tcp-server: the notes' server, echoing.
import socket
import sys

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind((sys.argv[1], int(sys.argv[2])))
server.listen(128)
while True:
    client, addr = server.accept()
    while True:
        data = client.recv(1024)
        if not data:
            break
        client.sendall(data)
    client.close()
