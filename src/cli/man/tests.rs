use clap::CommandFactory;

use super::*;

fn all_commands(cmd: &clap::Command, parent: &str, out: &mut Vec<String>) {
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        let path = format!("{parent} {}", sub.get_name());
        out.push(path.clone());
        all_commands(sub, &path, out);
    }
}

#[test]
fn the_manual_has_every_section_and_every_command() {
    let cmd = crate::cli::Cli::command();
    let page = String::from_utf8(rapport_page(&cmd).unwrap()).unwrap();
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH COMMANDS",
        ".SH FILES",
        ".SH ENVIRONMENT",
        ".SH EXIT STATUS",
        ".SH EXAMPLES",
        ".SH SEE ALSO",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    let mut commands = Vec::new();
    all_commands(&cmd, "rapport", &mut commands);
    assert!(commands.len() > 30, "{commands:?}");
    for c in &commands {
        assert!(
            page.contains(&format!("\\fB{}", roff(c))),
            "{c} is not in the page"
        );
    }
    // No page it points at is missing: only rapport.toml(5) and standard tools.
    assert!(
        !page.contains("rapport\\-queue"),
        "no pages that do not exist"
    );
    assert!(page.contains("\\fBrapport.toml\\fR(5)"));
}

#[test]
fn the_config_page_documents_every_table_and_key_of_the_example() {
    let page = String::from_utf8(config_page("0.1.0")).unwrap();
    assert!(page.contains("\n.TH rapport.toml 5"));
    for line in EXAMPLE_CONFIG.lines() {
        let line = line.trim().trim_start_matches('#').trim();
        if line.starts_with('[') && line.ends_with(']') && !line.contains(' ') {
            assert!(page.contains(&format!(".SS {}", roff(line))), "{line}");
        }
    }
    for key in [
        "password_command",
        "timezone",
        "daily_send_cap",
        "ca_file",
        "path",
    ] {
        assert!(page.contains(&format!("\\fB{}\\fR =", roff(key))), "{key}");
    }
    assert!(page.contains(".SH SEE ALSO\n\\fBrapport\\fR(1)"));
}
