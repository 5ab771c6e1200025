use schema_runtime::Enum;

#[derive(Enum)]
#[schema(table = "user_role")]
enum Role {
    #[schema(column = "admin")]
    Admin,
    #[schema(colour = "blue")]
    Member,
}

fn main() {}
