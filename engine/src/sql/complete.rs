pub fn is_complete(_s:&str)->bool{false}
