use clap::CommandFactory;

fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
    for a in cmd.get_arguments() {
        let id = a.get_id().as_str();
        if matches!(id, "help" | "version") {
            continue;
        }
        if a.get_help().is_none() {
            missing.push(format!("{path} {id}"));
        }
    }
    for sub in cmd.get_subcommands() {
        if sub.get_about().is_none() {
            missing.push(format!("{path} {} (about)", sub.get_name()));
        }
        walk(sub, &format!("{path} {}", sub.get_name()), missing);
    }
}

#[test]
fn every_argument_and_flag_has_help() {
    let mut missing = Vec::new();
    walk(&super::Cli::command(), "rapport", &mut missing);
    assert!(missing.is_empty(), "no help for:\n{}", missing.join("\n"));
}

#[test]
fn tier_lists_its_values() {
    let cmd = super::Cli::command();
    let add = cmd
        .find_subcommand("contacts")
        .and_then(|c| c.find_subcommand("add"))
        .unwrap();
    let tier = add.get_arguments().find(|a| a.get_id() == "tier").unwrap();
    let values: Vec<String> = tier
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_string())
        .collect();
    assert_eq!(values, ["close", "regular", "acquaintance"]);
}

#[test]
fn the_man_page_and_completions_come_from_the_clap_definitions() {
    let mut man = Vec::new();
    super::render_man(&mut man).unwrap();
    let man = String::from_utf8(man).unwrap();
    assert!(man.contains(".TH rapport"), "{man}");
    assert!(man.contains("review"), "{man}");
    let mut bash = Vec::new();
    super::render_completions(clap_complete::Shell::Bash, &mut bash);
    let bash = String::from_utf8(bash).unwrap();
    assert!(
        bash.contains("meeting") && bash.contains("--send-if-due"),
        "{bash}"
    );
}
