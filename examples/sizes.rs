use dunning_dojo::engine::negotiation::*;
fn main() {
    println!("Negotiation {}", std::mem::size_of::<Negotiation>());
    println!("Meeting {}", std::mem::size_of::<Meeting>());
    println!("Conduct {}", std::mem::size_of::<Conduct>());
    println!("Event {}", std::mem::size_of::<Event>());
    println!("Events {}", std::mem::size_of::<Events>());
    println!("Utterance {}", std::mem::size_of::<Utterance>());
}
