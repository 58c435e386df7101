fn main() {
    // Rust ignores SIGPIPE, so printing into a closed pipe (`gxgen check … |
    // head`) would panic. The default action ends the process quietly, as
    // for cat or grep; files are written atomically, so none is left half
    // written.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists;
    // SIG_DFL is a valid action for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(gxgen::cli::run(std::env::args_os()));
}
