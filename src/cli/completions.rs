//! `rapport completions SHELL`: shell completions generated from the clap definitions,
//! printed for the user to install. It never writes a file itself.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Prints the completions for the shell asked for, as one piece.
pub fn run(args: &CompletionsArgs) -> Result<ExitCode> {
    super::print_generated(|out| {
        render_completions(args.shell, out);
        Ok(())
    })
}

/// Shell completions, generated from the clap definitions.
pub(crate) fn render_completions(shell: clap_complete::Shell, out: &mut Vec<u8>) {
    use clap::CommandFactory;
    clap_complete::generate(shell, &mut super::Cli::command(), "rapport", out);
}
