//! The database a command connects to: the flags of every command that connects.

use clap::Args;

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Database URL (postgres://..., sqlite:..., mysql://...).
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
}
