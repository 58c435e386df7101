// typst allocates many small, short-lived values from several threads at
// once; mimalloc serves them faster than glibc's malloc (bench/RESULTS-speed.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(gxgen::cli::run(std::env::args_os()));
}
