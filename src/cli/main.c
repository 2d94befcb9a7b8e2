#include <stdio.h>
int main(void) { puts("vmctr"); return 0; }
