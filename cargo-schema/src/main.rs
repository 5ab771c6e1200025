fn main() {
    std::process::exit(cargo_schema::main_impl());
}
