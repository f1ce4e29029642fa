//! The `rapport` binary: parses the command line and runs it.

fn main() -> std::process::ExitCode {
    rapport::cli::main()
}
