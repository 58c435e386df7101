fn main() {
    std::process::exit(gxgen::cli::run(std::env::args_os()));
}
