// Arguments on `main`: our error only. rustc's "`main` function has wrong type" does
// not appear, and the body still type-checks against the arguments.

#[weft::main]
async fn main(args: Vec<String>, verbose: bool) {
    if verbose {
        println!("{}", args.len());
    }
}
