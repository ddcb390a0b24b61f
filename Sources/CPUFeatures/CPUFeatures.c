#include "CPUFeatures.h"

// Compiled for the baseline CPU (no target flags), so it runs anywhere and can refuse politely
// before a kernel executes an instruction the CPU lacks.
int gptx_cpu_has_avx2_fma(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 1;
#endif
}

int gptx_cpu_has_avx512(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    // skylake-avx512's set, the one the AVX-512 tile is compiled for.
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512cd") && gptx_cpu_has_avx2_fma();
#else
    return 0;
#endif
}
