/* A correct tcp-client in C that prompts for the message, as the notes
   do, and flushes the prompt: stdout is a pipe under verify, so without
   fflush the prompt would stay in stdio's buffer. verify ignores a prompt
   written before the reply. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char line[1024], reply[1025];
    if (argc < 3) return 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 1; }
    printf("请输入要发送的数据：");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin)) return 1;
    line[strcspn(line, "\n")] = 0;
    send(fd, line, strlen(line), 0);
    ssize_t n = recv(fd, reply, sizeof reply - 1, 0);
    reply[n > 0 ? n : 0] = 0;
    printf("%s\n", reply);
    close(fd);
    return 0;
}
