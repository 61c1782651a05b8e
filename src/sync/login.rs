//! Logging in to the server the settings name, with the password from
//! where the config says it comes.

use super::remote::Remote;
use super::{fever, ttrss};
use crate::config::{PasswordFrom, Service, SyncSettings};

/// Logs in to the server the settings name.
pub fn connect(settings: &SyncSettings, timeout: u64) -> Result<Box<dyn Remote>, String> {
    let password = password(&settings.password).map_err(|why| format!("sync: {why}"))?;
    let agent = crate::web::agent(timeout);
    let url = settings.url.as_str();
    let remote: Box<dyn Remote> = match settings.service {
        Service::TtRss => Box::new(
            ttrss::TtRss::login(agent, url, &settings.user, &password)
                .map_err(|f| f.said(settings, 0))?,
        ),
        Service::Fever => Box::new(
            fever::Fever::login(agent, url, &settings.user, &password)
                .map_err(|f| f.said(settings, 0))?,
        ),
    };
    Ok(remote)
}

/// The password, from where the config says it comes.
pub fn password(from: &PasswordFrom) -> Result<String, String> {
    match from {
        PasswordFrom::Env(name) => {
            std::env::var(name).map_err(|_| format!("password_env names {name}, which is not set"))
        }
        PasswordFrom::Command(argv) => {
            let (program, args) = argv.split_first().ok_or("password_command is empty")?;
            let output = std::process::Command::new(program)
                .args(args)
                .stdin(std::process::Stdio::null())
                .output()
                .map_err(|e| {
                    format!(
                        "password_command {program}: {}",
                        crate::io_error::in_words(&e)
                    )
                })?;
            if !output.status.success() {
                return Err(format!(
                    "password_command {program} failed ({})",
                    output.status
                ));
            }
            let text = String::from_utf8_lossy(&output.stdout);
            Ok(text.lines().next().unwrap_or_default().to_owned())
        }
    }
}
