// typst allocates many small, short-lived values from several threads at
// once; mimalloc serves them faster than glibc's malloc (bench/RESULTS-speed.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc v3's include/mimalloc.h (the crate
/// names only the options every version shares; both crates are pinned).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Memory a report frees is used again by the next within milliseconds:
    // returned to the system after mimalloc's default 10 ms, it came back
    // as fresh pages the kernel zeroed (clear_page was 16 % of a workspace
    // build). Kept for a second, as an idle `gxgen serve` still gives back.
    // SAFETY: sets a plain integer option; mimalloc reads it on each purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1000) };
    std::process::exit(gxgen::cli::run(std::env::args_os()));
}
