//! `cargo schema new`: its flags.

#[derive(Debug, clap::Args)]
#[command(after_help = "Exit status: 0 written, 2 error.")]
pub struct Args {
    /// Name of the migration (becomes the file slug: `NNNN_<name>.up.sql`).
    #[arg(value_name = "NAME")]
    pub name: String,
}
