// Each misuse of `select!`'s syntax: one spanned error saying what a branch looks like.

async fn no_branch() {
    weft::select! {}
}

async fn no_arrow() {
    weft::select! {
        v = async { 1 } v,
    }
}

async fn no_equals() {
    weft::select! {
        v => 1,
    }
}

async fn no_comma_after_an_expression_handler() {
    weft::select! {
        v = async { 1 } => v
        w = async { 2 } => w,
    }
}

async fn else_before_a_branch() {
    weft::select! {
        else => 0,
        v = async { 1 } => v,
    }
}

async fn two_elses() {
    weft::select! {
        v = async { 1 } => v,
        else => 0,
        else => 1,
    }
}

fn main() {}
