# When something did not arrive, or could not be handled: whoever is waiting is told.

room-undelivered = Note: a message could not be delivered to the reporter, { $why ->
        [unreachable] because they have blocked the bot or deleted the chat
        [too-large] because it was too large for the network
        [gave-up] because it failed for { $hours } hours
       *[other] because the network refused it
    }.{ $quoted ->
        [no] {""}
       *[yes] {" "}It was: "{ $excerpt }".
    } The message was kept but not sent. { $why ->
        [unreachable] The reporter will read you again once they unblock the bot or start again.
        [too-large] Send it shorter, or in parts.
       *[other] Try again later, or in other words.
    }
reporter-undelivered = Your message could not be passed on to the counsellor, { $why ->
        [too-large] because it was too large
        [gave-up] because it failed for { $hours } hours
       *[other] because it was not accepted
    }.{ $quoted ->
        [no] {""}
       *[yes] {" "}It was: "{ $excerpt }".
    } It has been kept, and nothing else was lost. { $why ->
        [too-large] Feel free to send it shorter, or in parts.
       *[other] Feel free to try again later.
    }
room-not-invited = Note: { $user } could not be invited to this case, { $why ->
        [unknown-user] because that Matrix account does not exist
        [gave-up] because it failed for { $hours } hours
       *[other] because the server refused it
    }. Check the Matrix id in the configuration; the reporter was not told otherwise.
reporter-set-aside = Something went wrong with your last message. It has been set aside (not lost) so the administrator can look at it, and everything else carries on. Feel free to try again, perhaps in other words.
room-set-aside = Your last message or command could not be handled. It has been set aside for the administrator and was not sent to the reporter. Try again, perhaps differently.
reporter-case-unreadable = Your report cannot be opened right now. Nothing has been lost and your message has been kept; the administrator has been warned. Please try again later.
room-case-unreadable = This case cannot be opened right now: its key or record is damaged. Messages are kept but not passed on; the administrator sees it in the log (confidant check-store).
# Below a message the bot sent again after a connection problem, not knowing whether the
# first attempt had arrived (short: it must fit beside a long message).
delivery-resent-note = ↻ Sent again after a connection problem: you may have this message twice.
