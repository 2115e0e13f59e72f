/** Word lists for demo users: first and last names, and language codes with their shares. */

/** First names, a mix of English- and Spanish-speaking and other users. */
export const FIRST_NAMES: readonly string[] = [
  'Alex', 'Maria', 'John', 'Sofia', 'Carlos', 'Emma', 'Lucas', 'Olivia', 'Mateo', 'Ava', 'Diego', 'Mia', 'Daniel',
  'Isabella', 'Javier', 'Lucia', 'Ivan', 'Anna', 'Pedro', 'Elena', 'Liam', 'Noah', 'Camila', 'Hugo', 'Chloe', 'Marco',
  'Giulia', 'Yusuf', 'Aylin', 'Kenji', 'Priya', 'Omar', 'Leila', 'Pablo', 'Valentina', 'Tom', 'Sara', 'Nikita', 'Olga',
];

/** Last names; about half the users have none. */
export const LAST_NAMES: readonly string[] = [
  'Smith', 'Garcia', 'Johnson', 'Martinez', 'Brown', 'Lopez', 'Rodriguez', 'Miller', 'Hernandez', 'Davis', 'Gonzalez',
  'Wilson', 'Perez', 'Sanchez', 'Rossi', 'Müller', 'Ivanov', 'Kowalski', 'Silva', 'Nguyen', 'Kim', 'Yilmaz', 'Dubois',
];

/** Language codes as Telegram reports them, weighted (null: the client did not say). */
export const LANGUAGES: readonly (readonly [string | null, number])[] = [
  ['en', 50], ['es', 20], ['pt', 6], ['ru', 6], ['de', 4], ['fr', 4], ['it', 3], ['uk', 2], ['tr', 2], [null, 3],
];
