/* Wrong: sends the length in the machine's byte order (little-endian
   here), without htonl. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf, stdin);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 1; }
    uint32_t n = (uint32_t)len;
    send(fd, &n, 4, 0);
    for (size_t off = 0; off < len;) {
        ssize_t m = send(fd, buf + off, len - off, 0);
        if (m <= 0) return 1;
        off += m;
    }
    char reply[256];
    ssize_t r = recv(fd, reply, sizeof reply - 1, 0);
    if (r > 0) fwrite(reply, 1, r, stdout);
    close(fd);
    return 0;
}
